"""Static-site generator for China's 政府信息公开工作年度报告.

Data flows one way: sources -> extract -> records -> checks -> pages -> site.
"""
